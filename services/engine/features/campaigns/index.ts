import type { EngineFeature } from '../../service';
import { campaignReportsJob, campaignResultsJob } from './jobs';

/** Campaign tests in the org: the "Campaign Results" and "Campaign Reports" jobs; the CLI is `asl campaign`. */
export function campaignsFeature(): EngineFeature {
  return { name: 'campaigns', jobs: (client) => ({ 'Campaign Results': campaignResultsJob(client), 'Campaign Reports': campaignReportsJob(client) }) };
}

export { allocateCampaign, campaignResults, listQualityReport, roiReport, readCampaignTest, CampaignSetupError, type AllocationRun } from './runs';
export { campaignReports, campaignReportsJob, campaignResultsJob, type CampaignReportsResult } from './jobs';
